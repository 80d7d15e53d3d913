-- The trace an outbox message belongs to (W3C traceparent), continued by the relay's publish span (see contracts'
-- MessageTraces).
alter table outbox add column trace_parent text;
