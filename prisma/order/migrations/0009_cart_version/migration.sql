-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "cart_version" VARCHAR(40);

-- CreateIndex
CREATE UNIQUE INDEX "orders_user_id_cart_version_key" ON "orders"("user_id", "cart_version");
