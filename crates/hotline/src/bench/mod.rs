//! Benchmarks against tgsim on loopback.
//!
//! - `relay` runs tgsim and Hotline in this process: quick, and what the delivery engine's
//!   changes were measured with first.
//! - `load` is the external benchmark: the load generator (this process), tgsim (`bench sim`)
//!   and Hotline (`serve`, any build: `--hotline PATH`) as three processes, connections made
//!   with `connection add`, so that the CPU and memory of Hotline alone are measured.
//! - `sim` and `seed` are the pieces `load` starts: tgsim on its own, and adding many
//!   connections at once for the idle phase.

mod broadcast;
mod control;
mod load;
mod phases;
mod procs;
mod relay;
mod seed;

pub use load::{LoadArgs, load};
pub use procs::{SimArgs, sim};
pub use relay::{RelayArgs, relay};
pub use seed::{SeedArgs, seed};

use serde_json::Value;

/// The value at quantile `p` (0..=1) of sorted samples (nearest rank), 0 when there are none.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(idx).or(sorted.last()).copied().unwrap_or(0.0)
}

/// Sets `key` in a JSON object (a no-op on anything else, where `v[key] = …` would panic).
fn set(v: &mut Value, key: &str, x: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_string(), x);
    }
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

fn print_table(v: &Value) {
    println!("{:<20} {:>12}", "metric", "value");
    if let Some(o) = v.as_object() {
        for (k, x) in o {
            println!("{k:<20} {:>12}", x.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 51.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&v, 1.0), 100.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
        assert_eq!(round(1.23456, 2), 1.23);
    }
}
