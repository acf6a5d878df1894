-- stdout: every buffer processes write to or read from fd 1.
-- rchisel bundled chisel.

description = "Print the standard output of any process on screen. Combine this script with a filter to limit the output to a specific process or pid.";
short_description = "Print stdout of processes";
category = "I/O";

args = {}

require("rchisel_io").echo_fd(1)
