-- Driven by nvim_e2e.sh: nvim --headless --clean -u init.lua -l nvim_e2e.lua FILE EXPECTED
-- Opens FILE (a copy inside a folder with .galley.json), checks galley's diagnostics at exact
-- positions, applies one quick fix and source.fixAll.galley, writes and compares with EXPECTED.
local file, expected_file = arg[1], arg[2]
local TIMEOUT = 20000

local function fail(msg) error(msg, 0) end
local function check(cond, msg) if not cond then fail(msg) end end
local function say(msg) io.stdout:write(msg, '\n') end

local function read(path)
  local f = assert(io.open(path, 'rb'))
  local s = f:read('a')
  f:close()
  return s
end

local function galley_diags(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'galley' then table.insert(out, d) end
  end
  table.sort(out, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return out
end

local function describe(ds)
  local lines = {}
  for _, d in ipairs(ds) do
    local r = d.user_data and d.user_data.lsp and d.user_data.lsp.range
    table.insert(lines, string.format('  %d:%d %s %s range=%s', d.lnum, d.col, d.code, d.message, vim.inspect(r, { newline = ' ', indent = '' })))
  end
  return table.concat(lines, '\n')
end

-- Waits for the buffer to change (code actions apply asynchronously).
local function apply_action(buf, opts, what)
  local tick = vim.b[buf].changedtick
  vim.lsp.buf.code_action(opts)
  check(vim.wait(TIMEOUT, function() return vim.b[buf].changedtick ~= tick end, 20),
    what .. ': buffer did not change')
end

local function main()
  check(vim.fn.has('nvim-0.11') == 1, 'needs Neovim 0.11, got ' .. tostring(vim.version()))
  -- ftdetect/bulletin.lua from editors/nvim registers the extension.
  check(vim.filetype.match({ filename = 'x.bulletin' }) == 'bulletin', '*.bulletin is not filetype bulletin')

  vim.cmd.edit(vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == 'text', 'filetype is ' .. vim.bo[buf].filetype)

  local client
  check(vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'galley' })[1]
    return client ~= nil and client.initialized
  end, 20), 'galley did not attach (is galley on PATH? see lsp.log)')
  local root = vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(file, ':p')))
  check(vim.fs.normalize(client.root_dir or '') == root,
    'root_dir ' .. tostring(client.root_dir) .. ', expected the folder with .galley.json ' .. root)
  -- galley takes the first encoding the client offers; Neovim offers utf-8 first.
  local offered = vim.env.GALLEY_E2E_ENCODING
  if offered == '' then offered = nil end
  check(client.offset_encoding == (offered or 'utf-8'), 'negotiated ' .. client.offset_encoding)
  say('attached; offset encoding ' .. client.offset_encoding)

  -- Expected findings; columns in UTF-8 bytes (what vim.diagnostic uses).
  -- Line 0: "𠮷😀全局 281 名…": two astral characters (4 bytes, 2 UTF-16 units each) before the space.
  local expected = {
    { lnum = 0, col = 14, end_col = 15, code = 'numeral-spacing', units = { ['utf-8'] = 14, ['utf-16'] = 6, ['utf-32'] = 4 } },
    { lnum = 0, col = 18, end_col = 19, code = 'numeral-spacing', units = { ['utf-8'] = 18, ['utf-16'] = 10, ['utf-32'] = 8 } },
    -- .galley.json raises punctuation-width to error: proves the workspace configuration is read.
    { lnum = 2, col = 35, end_col = 36, code = 'punctuation-width', severity = vim.diagnostic.severity.ERROR,
      units = { ['utf-8'] = 35, ['utf-16'] = 13, ['utf-32'] = 13 } },
  }
  local ds
  check(vim.wait(TIMEOUT, function()
    ds = galley_diags(buf)
    return #ds >= #expected
  end, 20), 'no diagnostics in time; got:\n' .. describe(galley_diags(buf)))
  check(#ds == #expected, 'expected ' .. #expected .. ' diagnostics, got:\n' .. describe(ds))
  for i, e in ipairs(expected) do
    local d = ds[i]
    local where = 'diagnostic ' .. i .. ':\n' .. describe({ d })
    check(d.code == e.code and d.lnum == e.lnum and d.col == e.col and d.end_lnum == e.lnum and d.end_col == e.end_col,
      'wrong ' .. where)
    if e.severity then check(d.severity == e.severity, 'wrong severity, ' .. where) end
    -- The server's own range, in the negotiated encoding.
    local r = d.user_data.lsp.range
    local u = e.units[client.offset_encoding]
    check(r.start.line == e.lnum and r.start.character == u and r['end'].character == u + 1,
      'server range for ' .. client.offset_encoding .. ' should start at ' .. u .. ', ' .. where)
  end
  say('diagnostics ok:\n' .. describe(ds))

  -- Quick fix for the finding after the astral characters: exactly one action left by the filter.
  vim.api.nvim_win_set_cursor(0, { 1, 14 })
  apply_action(buf, {
    apply = true,
    context = { only = { 'quickfix' } },
    filter = function(a)
      return a.kind == 'quickfix' and not a.title:find('Fix all', 1, true)
        and a.diagnostics ~= nil and #a.diagnostics == 1 and a.diagnostics[1].range.start.line == 0
        and a.diagnostics[1].range.start.character == expected[1].units[client.offset_encoding]
    end,
  }, 'quick fix')
  local line1 = vim.api.nvim_buf_get_lines(buf, 0, 1, true)[1]
  check(line1 == '𠮷😀全局281 名党员干部亮身份，带头24小时值守。', 'after the quick fix line 1 is: ' .. line1)
  say('quick fix ok')

  -- The diagnostics follow the edit: one numeral-spacing finding left on line 0.
  check(vim.wait(TIMEOUT, function()
    local left = galley_diags(buf)
    return #left == 2 and left[1].lnum == 0 and left[1].col == 17
  end, 20), 'diagnostics not updated after the quick fix:\n' .. describe(galley_diags(buf)))

  apply_action(buf, { apply = true, context = { only = { 'source.fixAll.galley' } } }, 'fix all')
  say('fix all ok')

  vim.cmd('silent write')
  local got, want = read(file), read(expected_file)
  check(got == want, 'written file differs from the expected text:\n--- got\n' .. got .. '\n--- want\n' .. want)
  check(vim.wait(TIMEOUT, function() return #galley_diags(buf) == 0 end, 20),
    'diagnostics left after fix all:\n' .. describe(galley_diags(buf)))
  say('written file ok')
end

local ok, err = xpcall(main, debug.traceback)
if ok then
  say('PASS nvim e2e')
  os.exit(0)
else
  io.stderr:write('FAIL nvim e2e: ', tostring(err), '\n')
  os.exit(1)
end
