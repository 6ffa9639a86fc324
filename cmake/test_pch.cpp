// The translation unit voxgate_test_pch precompiles cmake/test_pch.hpp with.
