//! Deduplication of webhook redeliveries.
