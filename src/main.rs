fn main() {
    std::process::exit(rchisel::cli::main());
}
