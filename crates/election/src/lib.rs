//! The public election record for psephos: durable ballot log, record files and the offline audit.
