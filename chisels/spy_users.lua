-- spy_users: commands launched from shells and directories visited by them.
-- rchisel bundled chisel.
--
-- Every successful execve is attributed to the highest shell ("...sh") among
-- the first 16 ancestors of its parent; processes without a shell ancestor
-- are hidden. Lines are indented by depth below that shell.

description = "Lists every command that users launch interactively (e.g. from bash) and every directory users visit. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown. (Blue represents a process running within a container, and Green represents a host process)";
short_description = "Display interactive user activity";
category = "Security";

args =
{
	{
		name = "max_depth",
		description = "the maximum depth to show in the hierarchy of processes",
		argtype = "int",
		optional = true
	},
	{
		name = "disable_color",
		description = "Set to 'disable_colors' if you want to disable color output",
		argtype = "string",
		optional = true
	},
}

local common = require "rchisel_common"
local pad, str = common.pad, common.str

local MAX_ANCESTORS = 16
local color = common.colors(true)
local max_depth = -1
local with_container = false

-- Field handles.
local f = {}
local f_aname = {}
local f_apid = {}

-- Number of chdir events seen so far. sysdig's chisel shifts its ancestor
-- field lists by one slot on each chdir, so after k chdirs ancestor slot j
-- reads ancestor j-k, and slots below k read nothing. We reproduce that.
local chdirs = 0

-- pid -> { depth, shell pid } (depth -1: no shell ancestor)
local tree = {}

function on_set_arg(name, val)
	if name == "max_depth" then
		max_depth = common.number_arg(val, name)
	elseif name == "disable_color" and val == "disable_color" then
		color = common.colors(false)
	end
	return true
end

function on_init()
	f.etype = chisel.request_field("evt.type")
	f.exe = chisel.request_field("proc.exe")
	f.args = chisel.request_field("proc.args")
	f.path = chisel.request_field("evt.arg.path")
	f.user = chisel.request_field("user.name")
	f.time = chisel.request_field("evt.time.s")
	f.pid = chisel.request_field("proc.pid")
	f.ppid = chisel.request_field("proc.ppid")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")

	with_container = sysdig.is_print_container_data()

	-- successful execve and chdir exits (chdir: from shells), with one type
	-- check for the events that are neither
	chisel.set_filter("evt.type in (execve, chdir) and evt.dir=< and evt.failed=false and " ..
		"(evt.type=execve or (proc.name contains sh and not proc.name contains sshd))")

	for j = 0, MAX_ANCESTORS do
		f_aname[j] = chisel.request_field("proc.aname[" .. j .. "]")
		f_apid[j] = chisel.request_field("proc.apid[" .. j .. "]")
	end
	return true
end

-- Ancestor slot j as read by sysdig's chisel (see `chdirs`).
local function ancestor(list, j)
	local k = j - chdirs
	if chdirs > 0 and j < chdirs then
		return nil
	end
	if chdirs > 0 then
		return evt.field(list[k])
	end
	return evt.field(list[j])
end

-- Find the shell ancestor of `ppid` and record it in the tree.
local function learn_parent(ppid)
	tree[ppid] = { -1 }
	for j = 1, MAX_ANCESTORS do
		local name = ancestor(f_aname, j)
		if name == nil then
			if ancestor(f_apid, j) == nil then
				break
			end
		elseif #name >= 2 and string.sub(name, -2) == "sh" then
			local apid = ancestor(f_apid, j)
			if tree[apid] then
				tree[ppid] = { j - 1, apid }
			else
				tree[ppid] = { 0, apid }
			end
		end
	end
end

function on_event()
	local c = ""
	if with_container then
		c = color.green
	end

	local user = evt.field(f.user)
	local when = evt.field(f.time)
	local pid = evt.field(f.pid)
	local ppid = evt.field(f.ppid)
	local is_chdir = evt.field(f.etype) == "chdir"
	local cname = evt.field(f.cname)
	local correction = 1

	if is_chdir then
		ppid = pid
		chdirs = chdirs + 1
		correction = 0
	end

	if user == nil then
		user = "<NA>"
	end

	if not tree[ppid] then
		learn_parent(ppid)
	end

	if tree[ppid][1] == -1 then
		return true
	end

	if not tree[pid] then
		tree[pid] = { 1 + tree[ppid][1], tree[ppid][2] }
	end

	local depth = tree[pid][1]
	local shell = str(tree[pid][2])

	if with_container and cname ~= "host" then
		c = color.blue
	end

	if is_chdir then
		if max_depth ~= -1 and depth - correction > max_depth then
			return true
		end
		local who = str(user)
		if with_container then
			who = who .. "@" .. str(cname)
		end
		print(c .. pad("", 4 * (depth - correction)) .. shell .. " " .. str(when) .. " " ..
			who .. ") cd " .. str(evt.field(f.path)))
	else
		if max_depth ~= -1 and depth - 1 > max_depth then
			return true
		end
		local indent, who
		if with_container then
			indent = pad("", 4 * (depth - 1))
			who = str(user) .. "@" .. str(cname)
		else
			indent = pad("", 3 * (depth - 1))
			who = str(user)
		end
		print(c .. indent .. shell .. " " .. str(when) .. " " .. who .. ") " ..
			str(evt.field(f.exe)) .. " " .. str(evt.field(f.args)))
	end
	return true
end

function on_capture_end()
	print(color.reset)
end
