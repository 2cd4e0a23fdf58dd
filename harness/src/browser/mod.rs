//! Chromium, driven over the DevTools protocol: finding and launching it, rendering HTML at a
//! recording's origin with scripts off and every request answered locally, and capturing PNGs.
//! The only module that touches Chromium, wall time or randomness; dom, compare and golden must
//! never import it. See docs/browser.md.

mod capture;
mod find;
mod flags;
mod intercept;
mod launch;
pub mod live;
mod page;
mod process;
mod render;
pub(crate) mod state;

pub use find::{available, find_chrome, Flavor, CHROME_ENV, KNOWN_PATHS};
pub use intercept::{Answer, RequestLogEntry, RequestPolicy, Resource, PLACEHOLDER_PNG};
pub use launch::{Browser, LaunchOptions};
pub use page::{Page, Viewport};
pub use render::{ElementBox, RenderOptions, Rendered};
pub use state::{ElementRef, StateChange};
