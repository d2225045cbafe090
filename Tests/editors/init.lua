-- Minimal config for the end-to-end test: only the shipped editors/nvim, exactly as a user adds it.
local root = vim.env.GALLEY_REPO
vim.opt.runtimepath:prepend(root .. '/editors/nvim')
-- Test only: offer a single position encoding to also exercise utf-16/utf-32 (Neovim offers utf-8 first).
if vim.env.GALLEY_E2E_ENCODING then
  vim.lsp.config('galley', { capabilities = { general = { positionEncodings = { vim.env.GALLEY_E2E_ENCODING } } } })
end
vim.lsp.enable('galley')
