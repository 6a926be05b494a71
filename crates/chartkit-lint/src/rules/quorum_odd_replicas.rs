//! `quorum-odd-replicas`.

use chartkit_diagnostics::Severity;

use crate::context::{Ctx, Findings, engine_of, replicas};

crate::declare_rule! {
    /// ## What it does
    /// For majority-quorum engines (Consul servers, etcd, ZooKeeper,
    /// Elasticsearch master-eligible nodes, MongoDB voting members): warns
    /// on an even replica count, and notes a single replica (info).
    ///
    /// ## Why is this bad?
    /// An even count tolerates no more failures than the odd count below
    /// it, and a 2-way split leaves no majority. One replica is not HA.
    ///
    /// ## Example
    /// `replicas: 4` for Consul servers.
    ///
    /// ## Fix
    /// Use 3 or 5.
    id: "quorum-odd-replicas",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "quorum members are odd and at least 3",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        let Some(engine) = engine_of(sts).filter(|e| e.is_quorum()) else {
            continue;
        };
        let n = replicas(sts);
        let path = if sts.json.pointer("/spec/replicas").is_some() {
            "spec.replicas"
        } else {
            "spec"
        };
        if n == 1 {
            out.object(
                &RULE,
                i,
                path,
                format!(
                    "{} StatefulSet {:?} runs a single member: no high availability",
                    engine.name(),
                    sts.name()
                ),
            )
            .severity(Severity::Info);
        } else if n > 1 && n % 2 == 0 {
            out.object(&RULE, i, path, format!("{} StatefulSet {:?} has {n} members: an even count tolerates no more failures than {} and can split without a majority", engine.name(), sts.name(), n - 1))
                .help("use an odd number of members (3 or 5)");
        }
    }
}
