-- stdin: every buffer processes read from or write to fd 0.
-- rchisel bundled chisel.

description = "Print the standard input of any process on screen. Combine this script with a filter to limit the output to a specific process or pid.";
short_description = "Print stdin of processes";
category = "I/O";

args = {}

require("rchisel_io").echo_fd(0)
