-- Neovim 0.11 config for `galley lsp`: put editors/nvim on 'runtimepath' and call vim.lsp.enable('galley').
return {
  cmd = { 'galley', 'lsp' },
  filetypes = { 'text', 'bulletin' },
  root_markers = { '.galley.json' },
  -- LSP's language id for plain text is `plaintext`, not Neovim's filetype name `text`.
  get_language_id = function(_, filetype)
    if filetype == 'text' then
      return 'plaintext'
    end
    return filetype
  end,
}
