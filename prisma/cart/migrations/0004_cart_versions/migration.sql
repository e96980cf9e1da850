-- CreateTable
CREATE TABLE "cart_versions" (
    "user_id" UUID NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "cart_versions_pkey" PRIMARY KEY ("user_id")
);
