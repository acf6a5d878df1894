//! Build script: generates the event table from `src/event/events.tbl`,
//! the filter parser from `grammar/`, and compiles the eBPF probe.

#[path = "build/events.rs"]
mod events;
#[path = "build/grammar.rs"]
mod grammar;
#[path = "build/probe.rs"]
mod probe;

fn main() {
    events::generate();
    grammar::generate();
    probe::build();
}
