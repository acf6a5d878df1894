//! Reader for scap capture files (plain or gzip), every block type libscap defines.
