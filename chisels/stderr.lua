-- stderr: every buffer processes write to or read from fd 2; with -pc,
-- prefixed by the container id and name.
-- rchisel bundled chisel.

description = "Print the standard error of any process on screen. Combine this script with a filter to limit the output to a specific process or pid. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown. (Blue represents a process running within a container, and Green represents a host process)";
short_description = "Print stderr of processes";
category = "I/O";

args =
{
	{
		name = "disable_color",
		description = "Set to 'disable_colors' if you want to disable color output",
		argtype = "string",
		optional = true
	},
}

-- The argument turns colors off only when it reads "disable_color".
require("rchisel_io").echo_fd(2, { color_arg = "disable_color" })
