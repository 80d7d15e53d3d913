-- The trace an outbox message belongs to (W3C traceparent), continued by the relay's publish span; and the trace an
-- order was placed in, continued by its payment (see contracts' MessageTraces).
alter table outbox add column trace_parent text;
alter table orders add column trace_parent text;
-- an email about an order is sent in a span of the order's trace
alter table email_outbox add column trace_parent text;
