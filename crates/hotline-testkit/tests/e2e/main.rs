//! The end-to-end test binary: tgsim through real HTTP (and, later, Hotline on top of it).

mod smoke;
