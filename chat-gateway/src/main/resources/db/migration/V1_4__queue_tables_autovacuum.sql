-- outbox and inbox are queue-like: every message inserts a row, the outbox marks it sent moments later, retention
-- deletes it after days. Autovacuum's default (vacuum when a fifth of the table is dead) lets a growing outbox's
-- index fill with rows sent long ago, which the relay's claim then reads again every round, and leaves the tables
-- unanalysed for long stretches. Vacuum and analyse them after a fixed number of changes instead.
alter table outbox set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                        autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000);
alter table inbox set (autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 20000,
                       autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 20000);
