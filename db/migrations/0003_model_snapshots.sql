CREATE TABLE "model_snapshots" (
	"version" bigserial PRIMARY KEY NOT NULL,
	"created_at" bigint NOT NULL,
	"reason" text NOT NULL,
	"interactions" bigint NOT NULL,
	"cursor" bigint NOT NULL,
	"metrics" jsonb NOT NULL,
	"weights" jsonb NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"bytes" integer NOT NULL,
	"data" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE INDEX "model_snapshots_active_idx" ON "model_snapshots" USING btree ("active");