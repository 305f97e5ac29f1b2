package dev.wizmesh.product;

import dev.wizmesh.testing.StandaloneAppContract;

/** product-svc as a real process from its jar and config/product-svc.yml. */
class ProductSvcProcessIT extends StandaloneAppContract {
    ProductSvcProcessIT() {
        super("product-svc", "PRODUCT_SVC");
    }
}
