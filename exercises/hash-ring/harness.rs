// The exercise's part of the guest glue for hash-ring (`runner = "function"`): plays one
// scenario's script (`Vec<Op>`) on up to two rings and answers every operation
// (`Vec<Ret>`); both are in wire.rs. The judge checks properties of the answers on its
// side.

use super::HashRing;
use ::std::string::String;
use ::std::vec::Vec;

type Args = Vec<Op>;
type Answer = Vec<Ret>;

fn ring(rings: &mut [Option<HashRing>; 2], slot: u8) -> &mut HashRing {
    rings[usize::from(slot)]
        .as_mut()
        .expect("judge script creates the ring first")
}

fn run(script: Args) -> Answer {
    let mut rings: [Option<HashRing>; 2] = [None, None];
    let mut out = Vec::with_capacity(script.len());
    for op in script {
        out.push(match op {
            Op::New(slot, vnodes) => {
                rings[usize::from(slot)] = Some(HashRing::new(vnodes as usize));
                Ret::New
            }
            Op::AddNode(slot, node) => {
                let added: bool = ring(&mut rings, slot).add_node(&node);
                Ret::AddNode(added)
            }
            Op::RemoveNode(slot, node) => {
                let removed: bool = ring(&mut rings, slot).remove_node(&node);
                Ret::RemoveNode(removed)
            }
            Op::NodeFor(slot, key) => {
                let owner: Option<&str> = ring(&mut rings, slot).node_for(&key);
                Ret::NodeFor(owner.map(String::from))
            }
            Op::ReplicasFor(slot, key, n) => {
                let replicas: Vec<&str> = ring(&mut rings, slot).replicas_for(&key, n as usize);
                Ret::ReplicasFor(replicas.into_iter().map(String::from).collect())
            }
            Op::Len(slot) => {
                let len: usize = ring(&mut rings, slot).len();
                Ret::Len(len)
            }
        });
    }
    out
}
