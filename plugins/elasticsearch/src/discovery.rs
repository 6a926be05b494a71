//! Discovery and cluster bootstrap settings.

use crate::model::{Entry, TRANSPORT_PORT, Topology, Val};
use crate::wit;

/// The addresses members use to find each other: every master-eligible pod by its stable name
/// under the headless Service (`<sts>-<i>.<svc>.<ns>.svc.<domain>`, resolvable before the pod is
/// ready thanks to `publishNotReadyAddresses`), with the transport port when it is not the
/// default. A single node has no peers.
pub fn seed_hosts(t: &Topology) -> Vec<String> {
    if t.replicas == 1 {
        return Vec::new();
    }
    let port = t.port("transport", TRANSPORT_PORT);
    let service = t.service_fqdn();
    t.pod_names()
        .into_iter()
        .map(|pod| {
            if port == TRANSPORT_PORT {
                format!("{pod}.{service}")
            } else {
                format!("{pod}.{service}:{port}")
            }
        })
        .collect()
}

/// `⌊n/2⌋+1`: a strict majority of `n` master-eligible nodes.
pub fn quorum(n: u32) -> i64 {
    i64::from(n / 2 + 1)
}

/// The `elasticsearch.yml` entries that make the pods one cluster.
pub fn configure(t: &Topology) -> Result<Vec<Entry>, wit::Error> {
    let mut out = Vec::new();
    if let Some(name) = t.settings.get("clusterName") {
        let name = name.as_str().ok_or_else(|| {
            wit::Error::InvalidSettings("settings.clusterName must be a string".into())
        })?;
        out.push(Entry {
            key: "cluster.name",
            value: Val::Text(name.into()),
            bootstrap_only: false,
        });
    }
    if t.replicas == 1 {
        out.push(Entry {
            key: "discovery.type",
            value: Val::Text("single-node".into()),
            bootstrap_only: false,
        });
        return Ok(out);
    }
    let seeds = seed_hosts(t);
    if t.major >= 7 {
        out.push(Entry {
            key: "discovery.seed_hosts",
            value: Val::List(seeds),
            bootstrap_only: false,
        });
        out.push(Entry {
            key: "cluster.initial_master_nodes",
            value: Val::List(t.pod_names()),
            bootstrap_only: true,
        });
    } else {
        out.push(Entry {
            key: "discovery.zen.ping.unicast.hosts",
            value: Val::List(seeds),
            bootstrap_only: false,
        });
        out.push(Entry {
            key: "discovery.zen.minimum_master_nodes",
            value: Val::Int(quorum(t.replicas)),
            bootstrap_only: false,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::topo;

    fn t(replicas: u32, version: Option<&str>) -> Topology {
        Topology::from_wit(topo(replicas, version)).unwrap()
    }

    #[test]
    fn single_node() {
        let t = t(1, Some("8.15.0"));
        assert!(seed_hosts(&t).is_empty());
        assert_eq!(
            configure(&t).unwrap(),
            vec![Entry {
                key: "discovery.type",
                value: Val::Text("single-node".into()),
                bootstrap_only: false
            }]
        );
    }

    #[test]
    fn es8_three_nodes() {
        let t = t(3, Some("8.15.0"));
        let c = configure(&t).unwrap();
        assert_eq!(
            c[0].value,
            Val::List(vec![
                "rel-es-0.rel-es-headless.search.svc.cluster.local".into(),
                "rel-es-1.rel-es-headless.search.svc.cluster.local".into(),
                "rel-es-2.rel-es-headless.search.svc.cluster.local".into(),
            ])
        );
        assert_eq!(c[1].key, "cluster.initial_master_nodes");
        assert_eq!(
            c[1].value,
            Val::List(vec![
                "rel-es-0".into(),
                "rel-es-1".into(),
                "rel-es-2".into()
            ])
        );
        assert!(c[1].bootstrap_only);
    }

    #[test]
    fn es6_quorum() {
        for (n, q) in [(2, 2), (3, 2), (4, 3), (5, 3), (7, 4)] {
            let c = configure(&t(n, Some("6.8.23"))).unwrap();
            assert_eq!(c[0].key, "discovery.zen.ping.unicast.hosts");
            assert_eq!(c[1].value, Val::Int(q), "n={n}");
        }
    }

    #[test]
    fn custom_transport_port() {
        let mut w = topo(3, None);
        w.ports[1].port = 9400;
        let t = Topology::from_wit(w).unwrap();
        assert_eq!(
            seed_hosts(&t),
            vec![
                "rel-es-0.rel-es-headless.search.svc.cluster.local:9400",
                "rel-es-1.rel-es-headless.search.svc.cluster.local:9400",
                "rel-es-2.rel-es-headless.search.svc.cluster.local:9400",
            ]
        );
    }
}
