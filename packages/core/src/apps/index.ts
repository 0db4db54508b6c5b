export { deployApp, scaleApp, configureApp, upgradeApp, restartApp, rollbackApp, deleteApp } from "./manage-apps";
export { listApps, getApp, listAppRevisions, getAppStatus, getAppLogs, followAppLogs, getDeployable } from "./read-apps";
export { renderAppManifests, APP_LABEL } from "./render-app-manifests";
