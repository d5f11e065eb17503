-- :ReportTargets and :ReportDuplicates: run the report-lsp CLI and fill the quickfix list.
-- :ReportPlaceholders: ask the running server for every placeholder of the workspace.
local M = {}

--- Nil when `exe` can be run; else a message saying what is missing and how to install it.
function M.missing_server(exe)
  if exe and vim.fn.executable(exe) == 1 then
    return nil
  end
  return ('report-lsp: the server executable %q was not found. Install report-lsp (a prebuilt '
    .. 'binary from the releases page, or `cargo install --path .` in a checkout) and put it on '
    .. 'PATH, or point the `server_path` option at it (see :help report-lsp-requirements).'):format(tostring(exe))
end

local function run(cmd, cwd, stdin)
  if vim.system then
    local ok, proc = pcall(vim.system, cmd, { text = true, cwd = cwd, stdin = stdin })
    if not ok then
      return -1, '', tostring(proc)
    end
    local r = proc:wait(120000)
    return r.code, r.stdout or '', r.stderr or ''
  end
  -- Neovim 0.9 has no vim.system.
  local out = vim.fn.system(cmd, stdin or '')
  return vim.v.shell_error, out, out
end

--- The buffer's text as it would be written (one newline per line, the final one per 'eol').
function M.buffer_text(bufnr)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true)
  local text = table.concat(lines, '\n')
  if vim.bo[bufnr].eol or vim.bo[bufnr].fixeol then
    text = text .. '\n'
  end
  return text
end

--- Nil when the CLI worked; else a message, telling apart a server too old for the subcommand.
function M.failure(sub, code, stderr)
  if code == 0 then
    return nil
  end
  local s = stderr:lower()
  if (s:find('unrecognized subcommand', 1, true) or s:find('unexpected argument', 1, true)) and s:find(sub, 1, true) then
    return ('report-lsp: this server has no "%s" command yet; update report-lsp'):format(sub)
  end
  local first = vim.split(vim.trim(stderr), '\n')[1] or ''
  return ('report-lsp %s failed (exit %d): %s'):format(sub, code, first)
end

local function str(v)
  if type(v) == 'string' then
    return v
  elseif type(v) == 'number' then
    return tostring(v)
  end
end

local function num(v, default)
  v = tonumber(v)
  if v == nil or v < 1 then
    return default
  end
  return math.floor(v)
end

--- Quickfix items from `targets --format json`: an array (or { targets = [...] }) of objects
--- with a 1-based `line`, optional `column`, and a description in `text`/`name`/`indicator`.
function M.targets_to_qf(decoded, filename)
  local islist = vim.islist or vim.tbl_islist -- vim.islist is 0.10+
  local list = type(decoded) ~= 'table' and {} or islist(decoded) and decoded or decoded.targets or {}
  local items = {}
  for _, t in ipairs(list) do
    local parts = {}
    for _, k in ipairs({ 'text', 'name', 'indicator', 'target', 'value' }) do
      local s = str(t[k])
      if s and s ~= '' then
        parts[#parts + 1] = s
      end
    end
    items[#items + 1] = {
      filename = str(t.path) or str(t.file) or filename,
      lnum = num(t.line or t.start_line or t.startLine, 1),
      col = num(t.column or t.col, 1),
      text = table.concat(parts, ' | '),
    }
  end
  return items
end

--- Quickfix items from `duplicates --format json`: clusters as an array (or { clusters = [...] }),
--- each an array of members or an object with `members`/`locations`/`occurrences`.
function M.duplicates_to_qf(decoded, dir)
  local clusters = (type(decoded) == 'table' and decoded.clusters) or decoded
  local items = {}
  for i, c in ipairs(type(clusters) == 'table' and clusters or {}) do
    local members = c.members or c.locations or c.occurrences or c
    for _, m in ipairs(members) do
      local file = str(m.path) or str(m.file) or ''
      if file ~= '' and not file:match('^/') then
        file = dir .. '/' .. file
      end
      items[#items + 1] = {
        filename = file,
        lnum = num(m.line or m.start_line or m.startLine, 1),
        text = ('[%d] %s'):format(i, str(m.text) or str(m.preview) or ''),
      }
    end
  end
  return items
end

local function decode(text)
  local ok, v = pcall(vim.json.decode, text, { luanil = { object = true, array = true } })
  if not ok then
    return nil, 'report-lsp printed invalid JSON: ' .. tostring(v)
  end
  return v
end

function M.targets(plugin)
  local file = vim.api.nvim_buf_get_name(0)
  if file == '' then
    return vim.notify('report-lsp: the buffer has no file', vim.log.levels.WARN)
  end
  local missing = M.missing_server(plugin.cmd[1])
  if missing then
    return vim.notify(missing, vim.log.levels.ERROR)
  end
  -- The buffer's text, not the file: a modified buffer is neither written nor out of date.
  local cmd = { plugin.cmd[1], 'targets', '-', '--stdin-path', file, '--format', 'json' }
  local code, out, err = run(cmd, vim.fs.dirname(file), M.buffer_text(0))
  local msg = M.failure('targets', code, err)
  if msg then
    return vim.notify(msg, vim.log.levels.ERROR)
  end
  local decoded, derr = decode(out)
  if derr then
    return vim.notify(derr, vim.log.levels.ERROR)
  end
  local items = M.targets_to_qf(decoded, file)
  vim.fn.setqflist({}, ' ', { title = 'report-lsp targets: ' .. vim.fs.basename(file), items = items })
  if #items == 0 then
    return vim.notify('report-lsp: no targets found', vim.log.levels.INFO)
  end
  vim.cmd.copen()
end

function M.duplicates(plugin, dir)
  dir = vim.fs.normalize(vim.fn.fnamemodify(dir ~= '' and dir or vim.fn.getcwd(), ':p')):gsub('/$', '')
  local missing = M.missing_server(plugin.cmd[1])
  if missing then
    return vim.notify(missing, vim.log.levels.ERROR)
  end
  local code, out, err = run({ plugin.cmd[1], 'duplicates', dir, '--format', 'json' }, dir)
  local msg = M.failure('duplicates', code, err)
  if msg then
    return vim.notify(msg, vim.log.levels.ERROR)
  end
  local decoded, derr = decode(out)
  if derr then
    return vim.notify(derr, vim.log.levels.ERROR)
  end
  local items = M.duplicates_to_qf(decoded, dir)
  vim.fn.setqflist({}, ' ', { title = 'report-lsp duplicates: ' .. dir, items = items })
  if #items == 0 then
    return vim.notify('report-lsp: no duplicate passages', vim.log.levels.INFO)
  end
  vim.cmd.copen()
end

--- Quickfix items from the server's `report-lsp.listPlaceholders` answer: an array of
--- { uri, range, text, line }, positions in the client's offset encoding.
function M.placeholders_to_qf(list, offset_encoding)
  local items = {}
  for _, p in ipairs(type(list) == 'table' and list or {}) do
    if type(p) == 'table' and type(p.uri) == 'string' and type(p.range) == 'table' then
      local item = vim.lsp.util.locations_to_items({ { uri = p.uri, range = p.range } }, offset_encoding)[1]
      if item then
        item.text = ('%s  %s'):format(str(p.text) or '', str(p.line) or '')
        items[#items + 1] = item
      end
    end
  end
  return items
end

function M.placeholders()
  local name = require('report-lsp.config').name
  local client = vim.lsp.get_clients({ name = name })[1]
  if not client then
    return vim.notify('report-lsp: the server is not running (open a report first)', vim.log.levels.WARN)
  end
  local params = { command = 'report-lsp.listPlaceholders', arguments = {} }
  local function handler(err, result)
    if err then
      return vim.notify('report-lsp: cannot list placeholders: ' .. tostring(err.message or err), vim.log.levels.ERROR)
    end
    local items = M.placeholders_to_qf(result, client.offset_encoding or 'utf-16')
    vim.fn.setqflist({}, ' ', { title = 'report-lsp placeholders', items = items })
    if #items == 0 then
      return vim.notify('report-lsp: no placeholders left in the workspace', vim.log.levels.INFO)
    end
    vim.cmd.copen()
  end
  if vim.fn.has('nvim-0.11') == 1 then
    client:request('workspace/executeCommand', params, handler)
  else
    client.request('workspace/executeCommand', params, handler)
  end
end

function M.create(plugin)
  vim.api.nvim_create_user_command('ReportTargets', function()
    M.targets(plugin)
  end, { desc = 'report-lsp: targets of this report into the quickfix list' })
  vim.api.nvim_create_user_command('ReportDuplicates', function(a)
    M.duplicates(plugin, a.args)
  end, { nargs = '?', complete = 'dir', desc = 'report-lsp: duplicate passages under DIR (default: cwd) into the quickfix list' })
  vim.api.nvim_create_user_command('ReportPlaceholders', function()
    M.placeholders()
  end, { desc = 'report-lsp: every placeholder (XX, （待补充）, …) of the workspace into the quickfix list' })
end

return M
