CREATE TABLE "interactions" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"user_id" text NOT NULL,
	"room_id" text,
	"track_id" text NOT NULL,
	"type" text NOT NULL,
	"context" jsonb NOT NULL,
	"weight" double precision,
	"created_at" bigint NOT NULL,
	CONSTRAINT "interactions_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "playback_state" (
	"room_id" text PRIMARY KEY NOT NULL,
	"track_id" text,
	"status" text NOT NULL,
	"position_ms" double precision NOT NULL,
	"at" bigint NOT NULL,
	"duration_ms" integer,
	"added_by" text,
	"autofill" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_items" (
	"id" text NOT NULL,
	"room_id" text NOT NULL,
	"track_id" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" bigint NOT NULL,
	"duration_ms" integer NOT NULL,
	"position" integer NOT NULL,
	"votes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"autofill" boolean DEFAULT false NOT NULL,
	CONSTRAINT "queue_items_room_id_id_pk" PRIMARY KEY("room_id","id")
);
--> statement-breakpoint
CREATE TABLE "room_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"version" integer NOT NULL,
	"type" text NOT NULL,
	"actor_id" text,
	"payload" jsonb,
	"created_at" bigint NOT NULL,
	CONSTRAINT "room_events_room_version_unique" UNIQUE("room_id","version")
);
--> statement-breakpoint
CREATE TABLE "room_members" (
	"room_id" text NOT NULL,
	"user_id" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"connected" boolean NOT NULL,
	"joined_at" bigint NOT NULL,
	"disconnected_at" bigint,
	"banned" boolean DEFAULT false NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "room_members_room_id_user_id_pk" PRIMARY KEY("room_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "rooms" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"host_id" text NOT NULL,
	"version" integer NOT NULL,
	"settings" jsonb NOT NULL,
	"skip_votes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"closed_at" bigint,
	CONSTRAINT "rooms_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "tracks" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"artist" text NOT NULL,
	"genre" text NOT NULL,
	"duration_ms" integer NOT NULL,
	"popularity" integer,
	"danceability" double precision NOT NULL,
	"energy" double precision NOT NULL,
	"valence" double precision NOT NULL,
	"tempo" double precision NOT NULL,
	"acousticness" double precision NOT NULL,
	"instrumentalness" double precision NOT NULL,
	"speechiness" double precision NOT NULL,
	"liveness" double precision NOT NULL,
	"loudness" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"preferences" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "playback_state" ADD CONSTRAINT "playback_state_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_items" ADD CONSTRAINT "queue_items_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_events" ADD CONSTRAINT "room_events_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_members" ADD CONSTRAINT "room_members_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "interactions_room_idx" ON "interactions" USING btree ("room_id","seq");--> statement-breakpoint
CREATE INDEX "interactions_user_idx" ON "interactions" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "queue_items_room_position_idx" ON "queue_items" USING btree ("room_id","position");--> statement-breakpoint
CREATE INDEX "rooms_open_idx" ON "rooms" USING btree ("created_at") WHERE "rooms"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "tracks_title_trgm_idx" ON "tracks" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tracks_artist_trgm_idx" ON "tracks" USING gin ("artist" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tracks_genre_popularity_idx" ON "tracks" USING btree ("genre","popularity" desc);