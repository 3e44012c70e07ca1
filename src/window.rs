//! The 24-hour customer-service window.
