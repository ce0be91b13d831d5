# One image for the server replicas and the learner processes (docker-compose.yml picks the command).
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so a code change does not reinstall them. tsx runs the TypeScript sources
# directly (it is a runtime dependency), so there is no build step and dev dependencies stay out.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
# The data dir holds a generated secret when CHORUS_SECRET is unset; the app runs unprivileged.
RUN mkdir -p /app/.chorus && chown node:node /app/.chorus
USER node

EXPOSE 3000
CMD ["npm", "start"]
