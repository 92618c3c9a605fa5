// Preloaded after tsx (Pulumi.yaml runtime.options.nodeargs). Pulumi records a full stack
// trace for every resource it registers; with source maps on, Node maps every frame of
// every trace, about a third of a cold preview. Error positions then point at tsx's
// output, which keeps the file names. To debug with exact TypeScript lines, drop this
// preload from nodeargs.
process.setSourceMapsEnabled(false);
