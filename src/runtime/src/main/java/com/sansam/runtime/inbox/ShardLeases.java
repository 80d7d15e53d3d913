package com.sansam.runtime.inbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which replica consumes which shard of one sharded queue, as leases in the service's own database (tables
 * {@code shard_lease}, {@code shard_member}; every time is the database's {@code now()}, so replicas' clocks do not
 * matter). A replica takes part by renewing its membership and its leases every tick; its fair share is the
 * shards divided by the live members, rounded up. It claims free or expired shards up to its share and gives back
 * what it holds beyond it. A lease it did not renew within the time to live is free for another.
 * <p>
 * The lease only decides who <em>subscribes</em>; the queue's single active consumer still guarantees that one
 * consumer at a time receives a shard's messages, even should two replicas briefly both believe they hold it.
 */
public final class ShardLeases {

    /** What one renewal found: the shards this replica still holds, and its fair share. */
    public record Renewal(Set<Integer> held, int members, int fairShare) {}

    private final Pool pool;
    private final String queue;
    private final int shards;
    private final String owner;
    private final Duration ttl;

    public ShardLeases(Pool pool, String queue, int shards, String owner, Duration ttl) {
        this.pool = pool;
        this.queue = queue;
        this.shards = shards;
        this.owner = owner;
        this.ttl = ttl;
    }

    public String owner() {
        return owner;
    }

    /** Renews membership and the leases held, and answers what is held now and the fair share. */
    public Uni<Renewal> renew() {
        double seconds = ttl.toMillis() / 1000.0;
        return pool.withTransaction(connection -> connection
                .preparedQuery("""
                        insert into shard_lease (queue, shard) select $1, s from generate_series(0, $2 - 1) s
                        on conflict do nothing""")
                .execute(Tuple.of(queue, shards))
                .chain(() -> connection.preparedQuery("""
                                insert into shard_member (queue, owner, seen_at) values ($1, $2, now())
                                on conflict (queue, owner) do update set seen_at = now()""").execute(Tuple.of(queue, owner)))
                .chain(() -> connection
                        .preparedQuery(
                                "delete from shard_member where queue = $1 and seen_at < now() - make_interval(secs => $2)")
                        .execute(Tuple.of(queue, seconds * 10)))
                .chain(() -> connection.preparedQuery("""
                                update shard_lease set expires_at = now() + make_interval(secs => $3)
                                where queue = $1 and owner = $2 returning shard""").execute(Tuple.of(queue, owner, seconds)))
                .chain(renewed -> connection
                        .preparedQuery("""
                                select count(*) as members from shard_member
                                where queue = $1 and seen_at > now() - make_interval(secs => $2)""")
                        .execute(Tuple.of(queue, seconds))
                        .map(rows -> {
                            int members = Math.max(1, rows.iterator().next().getInteger("members"));
                            return new Renewal(shardsOf(renewed), members, (shards + members - 1) / members);
                        })));
    }

    /** Claims up to {@code count} shards that nobody holds or whose lease expired; answers those it got. */
    public Uni<Set<Integer>> claim(int count) {
        if (count <= 0) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("""
                        update shard_lease l set owner = $2, expires_at = now() + make_interval(secs => $4)
                        from (select shard from shard_lease
                              where queue = $1 and (owner is null or expires_at < now())
                              order by shard limit $3 for update skip locked) free
                        where l.queue = $1 and l.shard = free.shard returning l.shard""")
                .execute(Tuple.of(queue, owner, count, ttl.toMillis() / 1000.0))
                .map(ShardLeases::shardsOf);
    }

    /** Gives one shard back (its messages drained first by the caller). */
    public Uni<Void> release(int shard) {
        return pool.preparedQuery("update shard_lease set owner = null, expires_at = '-infinity' "
                        + "where queue = $1 and shard = $2 and owner = $3")
                .execute(Tuple.of(queue, shard, owner))
                .replaceWithVoid();
    }

    /** Leaves: every lease given back and the membership removed (a replica that stops). */
    public Uni<Void> leave() {
        return pool.withTransaction(connection -> connection
                .preparedQuery(
                        "update shard_lease set owner = null, expires_at = '-infinity' where queue = $1 and owner = $2")
                .execute(Tuple.of(queue, owner))
                .chain(() -> connection
                        .preparedQuery("delete from shard_member where queue = $1 and owner = $2")
                        .execute(Tuple.of(queue, owner)))
                .replaceWithVoid());
    }

    private static Set<Integer> shardsOf(Iterable<Row> rows) {
        Set<Integer> held = new TreeSet<>();
        rows.forEach(row -> held.add(row.getInteger("shard")));
        return held;
    }
}
