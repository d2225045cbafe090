-- Transcriptions saved as *.bulletin get their own filetype, which lsp/galley.lua lists.
vim.filetype.add({ extension = { bulletin = 'bulletin' } })
