-- CreateIndex
CREATE INDEX "audit_event_kind_actor_email_at_idx" ON "audit_event"("kind", "actor_email", "at");
