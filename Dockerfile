# contact-router: one image, every role (`contact-router start --role ...`).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production VAR_DIR=/var/lib/contact-router
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/routing-rules.yaml ./
COPY --from=build /app/templates ./templates
COPY --from=build /app/generated ./generated
RUN mkdir -p /var/lib/contact-router && chown node:node /var/lib/contact-router
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/contact-router.js"]
CMD ["start", "--role", "all"]
