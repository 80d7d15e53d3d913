-- The trace an outbox message belongs to (W3C traceparent), continued by the relay's publish span; and the trace an
-- order was placed in, continued by its payment and cancellation (see contracts' MessageTraces).
alter table outbox add column trace_parent text;
alter table orders add column trace_parent text;
