package dev.apiary.common.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One node's answer to {@code CLUSTER NODES}: who is master of which slots, who replicates whom. */
public record ClusterView(List<Entry> entries) {

    /**
     * @param slots slot ranges as {@code [from, to]} pairs
     */
    public record Entry(String id, RedisNode node, Set<String> flags, String masterId, String linkState,
                        List<int[]> slots) {
        public boolean isMaster() {
            return flags.contains("master");
        }

        boolean troubled() {
            return flags.contains("fail") || flags.contains("fail?") || flags.contains("handshake")
                    || flags.contains("noaddr") || !"connected".equals(linkState);
        }

        int slotCount() {
            return slots.stream().mapToInt(r -> r[1] - r[0] + 1).sum();
        }

        boolean serves(int slot) {
            return slots.stream().anyMatch(r -> slot >= r[0] && slot <= r[1]);
        }
    }

    static ClusterView parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split(" ");
            String addr = f[1].split("@")[0];
            int colon = addr.lastIndexOf(':');
            RedisNode node = new RedisNode(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)));
            Set<String> flags = Set.of(f[2].split(","));
            List<int[]> slots = new ArrayList<>();
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) continue; // a slot being migrated
                String[] r = f[i].split("-");
                int from = Integer.parseInt(r[0]);
                slots.add(new int[] {from, r.length > 1 ? Integer.parseInt(r[1]) : from});
            }
            entries.add(new Entry(f[0], node, flags, f[3], f[7], List.copyOf(slots)));
        }
        return new ClusterView(List.copyOf(entries));
    }

    public List<Entry> masters() {
        return entries.stream().filter(e -> e.isMaster() && !e.troubled()).toList();
    }

    public List<Entry> replicasOf(String masterId) {
        return entries.stream().filter(e -> masterId.equals(e.masterId()) && !e.isMaster()).toList();
    }

    public String idOf(RedisNode node) {
        return entries.stream().filter(e -> e.node().equals(node)).map(Entry::id).findFirst()
                .orElseThrow(() -> new AssertionError(node + " is not in the cluster"));
    }

    public boolean isMaster(RedisNode node) {
        return entries.stream().anyMatch(e -> e.node().equals(node) && e.isMaster() && !e.troubled() && e.slotCount() > 0);
    }

    public RedisNode masterOfSlot(int slot) {
        return masters().stream().filter(e -> e.serves(slot)).map(Entry::node).findFirst()
                .orElseThrow(() -> new AssertionError("no master serves slot " + slot));
    }

    /** No node failed or unlinked; {@code masters} masters own all slots and each has a replica. */
    boolean settled(int masterCount) {
        if (entries.stream().anyMatch(Entry::troubled)) return false;
        List<Entry> masters = masters().stream().filter(e -> e.slotCount() > 0).toList();
        return masters.size() == masterCount && masters.stream().mapToInt(Entry::slotCount).sum() == 16384
                && masters.stream().allMatch(m -> !replicasOf(m.id()).isEmpty());
    }
}
