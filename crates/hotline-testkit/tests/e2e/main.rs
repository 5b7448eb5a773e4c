//! The end-to-end test binary: tgsim through real HTTP, and Hotline running on top of it.

mod alerts;
mod broadcasts;
mod business;
mod connect;
mod faults;
mod lifecycle;
mod relay;
mod resilience;
mod security;
mod setup;
mod setup_business;
mod setup_templates;
mod smoke;
mod team;
mod templates;
