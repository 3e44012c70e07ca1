//! Send pacing: per-number throughput and per-recipient pair rate.
