-- Pult schema, version 10: every call has one controller, and lines carry
-- what the queue policy needs (issue 15).
--
-- calls.controller: who controls the call. 'ari' = Pult routes it over ARI
-- (the only calls the router and the ARI resync may act on); 'ami' = an
-- existing Asterisk with app_queue routes it and Pult observes over AMI;
-- 'vpbx' = a cloud PBX routes it and Pult observes its webhooks.
ALTER TABLE calls ADD COLUMN controller TEXT NOT NULL DEFAULT 'ari' CHECK (controller IN ('ari', 'ami', 'vpbx'));
-- Observed calls were recognisable only by their caller channel's prefix.
UPDATE calls SET controller = 'vpbx' WHERE caller_channel_id LIKE 'ext:%';
UPDATE calls SET controller = 'ami' WHERE caller_channel_id LIKE 'ami:%';
CREATE INDEX calls_open_by_controller ON calls(controller, arrived_at) WHERE state <> 'ended';

-- Lines: the oldest caller of the highest-priority line is served first
-- (emergency before planned); a mobile that did not take the call is rung
-- again after mobile_retry_sec while the caller still waits (up to max_wait_sec).
ALTER TABLE lines ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lines ADD COLUMN mobile_retry_sec INTEGER NOT NULL DEFAULT 15 CHECK (mobile_retry_sec >= 0);
