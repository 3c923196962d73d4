//! [`Shop`]: what one engine snapshot knows, borrowed. Cross-sell, upsell and pricing read a `Shop`; the engine
//! owns the parts and lends them. So the layers point one way: the engine calls the domain modules, and they
//! see plain data (catalog, config, rules, bundles, model, learned behaviour), never the engine itself.

use crate::behaviour::Behaviour;
use crate::catalog::Catalog;
use crate::config::Config;
use crate::model::Model;
use crate::personal::CustomerHistories;
use crate::pricing::Bundles;
use crate::rules::Rules;
use std::sync::Arc;

#[derive(Clone, Copy)]
pub(crate) struct Shop<'a> {
    pub catalog: &'a Catalog,
    pub config: &'a Config,
    pub rules: &'a Rules,
    /// Shared, as the pricing cache keeps the bundle set it was built for.
    pub bundles: &'a Arc<Bundles>,
    pub model: &'a Model,
    pub behaviour: &'a Behaviour,
    pub histories: &'a CustomerHistories,
}
