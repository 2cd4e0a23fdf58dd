//! The replay cache: one bundle folder per replay under `<root>/<host>/<org>/<project>/<id>/`,
//! in the layout ingest reads (docs/bundle-format.md). Folders are 0700, files 0600, and every
//! write is atomic, so an interrupted fetch never leaves a bundle that looks complete.

mod atomic;
mod key;
mod policy;
mod status;
mod store;
mod writer;

pub use atomic::private_dir_all;
pub use key::{host_dir, is_slug, replay_id, ReplayKey, ReplayRef};
pub use policy::{is_final, parse_rfc3339, SETTLE_MS};
pub use status::{BundleStatus, State};
pub use store::{Cache, Entry};
pub use writer::{BundleWriter, Stamp};
