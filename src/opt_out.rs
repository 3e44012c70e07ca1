//! Marketing opt-outs (STOP / UNSUBSCRIBE) and resumes.
