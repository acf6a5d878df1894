-- A module that reads the thread table: a chisel that requires it must run
-- in step (tests/chisel_host.rs, chisels_read_ahead_give_what_they_give_in_step).
local M = {}
function M.count()
	local n = 0
	for _ in pairs(sysdig.get_thread_table()) do n = n + 1 end
	return n
end
return M
