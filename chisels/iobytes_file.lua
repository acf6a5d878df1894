-- iobytes_file: bytes read and written on files, once per second.
-- rchisel bundled chisel.

description = "Counts the total bytes read from and written to files.";
short_description = "Sum of file I/O bytes";
category = "I/O";

args = {}

require("rchisel_io").byte_counter("evt.is_io=true and fd.type=file")
