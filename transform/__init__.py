"""Pure transforms: vocabulary, periods, arithmetic, validation rules and the expectation suite."""
