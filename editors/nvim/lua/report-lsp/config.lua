-- Default client configuration, shared by setup() and lsp/report_lsp.lua.
local M = {}

M.name = 'report_lsp'

--- Server settings as report-lsp.toml spells them (sent as initializationOptions and
--- returned for workspace/configuration section "reportLsp").
function M.default_settings()
  return {
    reportLsp = {
      language = 'zh',
      diagnostics = { delayMs = 300 },
      -- `rules` (rule code -> "off"|"error"|"warning"|"info"|"hint") is left out by default:
      -- an empty Lua table would reach the server as a JSON array.
    },
  }
end

function M.default()
  return {
    cmd = { 'report-lsp', 'serve' },
    filetypes = { 'text' },
    root_markers = { 'report-lsp.toml', '.git' },
    settings = M.default_settings(),
    -- The server reads the same object at startup as it later pulls; derive it from the
    -- final settings so a user override reaches both.
    before_init = function(params, config)
      params.initializationOptions = (config.settings or {}).reportLsp
    end,
  }
end

return M
