package dev.livepatch.testkit.progress;

enum SilentProgress implements Progress {
    INSTANCE;

    private static final Step STEP = new Step() {
        @Override
        public void update(String detail) {}

        @Override
        public void succeeded() {}

        @Override
        public void failed(String reason) {}
    };

    @Override
    public Step start(String what) {
        return STEP;
    }

    @Override
    public void note(String message) {}
}
