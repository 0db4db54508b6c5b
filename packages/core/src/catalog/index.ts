export { listCatalog, listCatalogCategories, getCatalogItem, listMyCatalogItems } from "./browse-catalog";
export { createCatalogItem } from "./create-catalog-item";
export { addCatalogVersion } from "./add-catalog-version";
export { submitForReview } from "./submit-for-review";
export { listReviewQueue, listAllCatalogItems, approveVersion, rejectVersion } from "./review-catalog-version";
export { deprecateCatalogItem, deprecateAnyCatalogItem } from "./deprecate-catalog-item";
export { findDeployableVersion, latestPublishedVersions, type DeployableVersion } from "./find-deployable-version";
export { validateParams } from "./validate-params";
