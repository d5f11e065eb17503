-- Config in the shape nvim-lspconfig and vim.lsp.config() (Neovim >= 0.11) read from lsp/*.lua:
--   vim.lsp.enable('report_lsp')
return require('report-lsp.config').default()
