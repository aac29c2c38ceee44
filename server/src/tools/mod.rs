//! Tools apart from the server: the command line, the demo district, backups and the
//! benchmark data generator. They call `flow` and `db`, never `http`.

pub mod backup;
pub mod cli;
pub mod demo;
pub mod demo_duty;
pub mod demo_halls;
pub mod lattice;
pub mod synth;
