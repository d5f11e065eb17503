-- report-lsp client for Neovim: built-in LSP only, no other plugin needed.
local config = require('report-lsp.config')

local M = {}

---@class ReportLspOptions
---@field cmd? string[] Server command; default { 'report-lsp', 'serve' }
---@field server_path? string Shorthand for cmd = { server_path, 'serve' }
---@field pattern? string|string[] Glob(s) a buffer's file name must match; default '*.txt'
---@field filetypes? string[] Default { 'text' }
---@field root_markers? string[] Default { 'report-lsp.toml', '.git' }
---@field settings? table Merged into the `reportLsp` settings, e.g. { language = 'en' }
---@field on_attach? fun(client: vim.lsp.Client, bufnr: integer)
---@field capabilities? table

M.options = nil

local function globs(pattern)
  local list = type(pattern) == 'table' and pattern or { pattern or '*.txt' }
  local out = {}
  for _, g in ipairs(list) do
    -- A relative glob matches the tail of the full path, as `*.txt` in an autocmd pattern would.
    local absolute = g:sub(1, 1) == '/' or g:sub(1, 1) == '~'
    out[#out + 1] = vim.regex(vim.fn.glob2regpat(absolute and vim.fs.normalize(g) or ('*/' .. g)))
  end
  return out
end

--- True when the buffer is a report file the server should see: a real file matching the glob.
function M.is_report_buffer(bufnr, matchers)
  if vim.bo[bufnr].buftype ~= '' then
    return false
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return false
  end
  name = vim.fs.normalize(name)
  for _, re in ipairs(matchers or globs(M.options and M.options.pattern)) do
    if re:match_str(name) then
      return true
    end
  end
  return false
end

local function root_for(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local found = vim.fs.root and vim.fs.root(bufnr, markers)
    or vim.fs.dirname(vim.fs.find(markers, { upward = true, path = vim.fs.dirname(name) })[1] or '')
  -- A report opened outside any project still gets a server, rooted at its own folder.
  if found == nil or found == '' or found == '.' then
    found = vim.fs.dirname(name)
  end
  return found
end

--- The final client config: defaults, then options.
function M.client_config(opts)
  local cfg = config.default()
  if opts.server_path then
    cfg.cmd = { opts.server_path, 'serve' }
  end
  cfg.cmd = vim.deepcopy(opts.cmd or cfg.cmd)
  local exe = cfg.cmd[1]
  if type(exe) == 'string' then
    -- `~/bin/report-lsp` or `$HOME/…`: the OS does not expand these when spawning.
    if exe:match('^[~$]') then
      exe = vim.fn.expand(exe)
    end
    -- A relative path is meant from here, not from each server's root directory.
    if exe:find('/', 1, true) and not vim.startswith(exe, '/') then
      exe = vim.fn.fnamemodify(exe, ':p')
    end
    cfg.cmd[1] = exe
  end
  cfg.filetypes = opts.filetypes or cfg.filetypes
  cfg.root_markers = opts.root_markers or cfg.root_markers
  cfg.settings.reportLsp = vim.tbl_deep_extend('force', cfg.settings.reportLsp, opts.settings or {})
  local rules = cfg.settings.reportLsp.rules
  if type(rules) == 'table' and vim.tbl_isempty(rules) then
    cfg.settings.reportLsp.rules = nil -- {} would be sent as [], not as an empty object
  end
  cfg.on_attach = opts.on_attach
  cfg.capabilities = opts.capabilities
  return cfg
end

---@param opts? ReportLspOptions
function M.setup(opts)
  opts = opts or {}
  M.options = opts
  local cfg = M.client_config(opts)
  local matchers = globs(opts.pattern)
  M.cmd = cfg.cmd

  -- Without the executable the client would fail to start with at most a line in the LSP log.
  local missing = require('report-lsp.commands').missing_server(cfg.cmd[1])
  if missing then
    vim.schedule(function()
      vim.notify(missing, vim.log.levels.ERROR)
    end)
  end

  if vim.fn.has('nvim-0.11') == 1 then
    -- root_dir as a function gates attachment: buffers that are not report files never get the client.
    local markers = cfg.root_markers
    cfg.root_dir = function(bufnr, on_dir)
      if M.is_report_buffer(bufnr, matchers) then
        on_dir(root_for(bufnr, markers))
      end
    end
    vim.lsp.config(config.name, cfg)
    vim.lsp.enable(config.name)
  else
    local group = vim.api.nvim_create_augroup('report-lsp', { clear = true })
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = cfg.filetypes,
      callback = function(ev)
        if not M.is_report_buffer(ev.buf, matchers) then
          return
        end
        local start_cfg = vim.tbl_extend('force', cfg, {
          name = config.name,
          root_dir = root_for(ev.buf, cfg.root_markers),
          init_options = cfg.settings.reportLsp,
        })
        start_cfg.before_init = nil
        start_cfg.root_markers = nil
        start_cfg.filetypes = nil
        vim.lsp.start(start_cfg, { bufnr = ev.buf })
      end,
    })
  end
  require('report-lsp.commands').create(M)
end

return M
