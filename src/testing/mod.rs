//! Test kit (feature `testing`): a fake Cloud API and signed webhook builders.
