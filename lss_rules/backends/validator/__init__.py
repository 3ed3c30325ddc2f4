"""The validators' IR (``ir``) and the target-neutral lowering of a year model to it (``lower``)."""
