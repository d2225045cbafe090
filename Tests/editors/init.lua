-- Minimal config for the end-to-end test: only the shipped editors/nvim, exactly as a user adds it.
local root = vim.env.GALLEY_REPO
vim.opt.runtimepath:prepend(root .. '/editors/nvim')
vim.lsp.enable('galley')
