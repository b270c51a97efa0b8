#include "backends/vulkan/program.h"

#include "backends/vulkan/shaders.h"

namespace specgap::vulkan {

Program::Program(std::shared_ptr<Context> ctx, const std::string& shader, const std::vector<const Buffer*>& buffers,
                 uint32_t push_bytes, const std::vector<uint32_t>& specialization)
    : Program(std::move(ctx), shader, shader_code(shader), buffers, push_bytes, specialization) {}

Program::Program(std::shared_ptr<Context> ctx, const std::string& shader, std::span<const uint32_t> code,
                 const std::vector<const Buffer*>& buffers, uint32_t push_bytes,
                 const std::vector<uint32_t>& specialization)
    : ctx_(std::move(ctx)), push_bytes_(push_bytes) {
  const DeviceApi& vk = ctx_->api();
  const VkDevice dev = ctx_->device();
  const auto n = uint32_t(buffers.size());

  std::vector<VkDescriptorSetLayoutBinding> bindings(n);
  for (uint32_t i = 0; i < n; ++i)
    bindings[i] = {i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
  VkDescriptorSetLayoutCreateInfo set_info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  set_info.bindingCount = n;
  set_info.pBindings = bindings.data();
  ctx_->check(vk.vkCreateDescriptorSetLayout(dev, &set_info, nullptr, &set_layout_), "vkCreateDescriptorSetLayout");

  const VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, push_bytes};
  VkPipelineLayoutCreateInfo layout_info{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  layout_info.setLayoutCount = 1;
  layout_info.pSetLayouts = &set_layout_;
  layout_info.pushConstantRangeCount = push_bytes ? 1 : 0;
  layout_info.pPushConstantRanges = &range;
  ctx_->check(vk.vkCreatePipelineLayout(dev, &layout_info, nullptr, &layout_), "vkCreatePipelineLayout");

  VkShaderModuleCreateInfo module_info{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
  module_info.codeSize = code.size_bytes();
  module_info.pCode = code.data();
  VkShaderModule module = VK_NULL_HANDLE;
  ctx_->check(vk.vkCreateShaderModule(dev, &module_info, nullptr, &module), "vkCreateShaderModule");

  std::vector<VkSpecializationMapEntry> entries(specialization.size());
  for (uint32_t i = 0; i < entries.size(); ++i) entries[i] = {i, i * 4, 4};
  const VkSpecializationInfo spec{uint32_t(entries.size()), entries.data(), specialization.size() * 4,
                                  specialization.data()};
  VkComputePipelineCreateInfo pipe{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
  pipe.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
  pipe.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  pipe.stage.module = module;
  pipe.stage.pName = "main";
  pipe.stage.pSpecializationInfo = specialization.empty() ? nullptr : &spec;
  pipe.layout = layout_;
  const VkResult r = vk.vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &pipe, nullptr, &pipeline_);
  vk.vkDestroyShaderModule(dev, module, nullptr);
  ctx_->check(r, ("vkCreateComputePipelines (" + shader + ")").c_str());

  const VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, n};
  VkDescriptorPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pool_info.maxSets = 1;
  pool_info.poolSizeCount = 1;
  pool_info.pPoolSizes = &size;
  ctx_->check(vk.vkCreateDescriptorPool(dev, &pool_info, nullptr, &pool_), "vkCreateDescriptorPool");
  VkDescriptorSetAllocateInfo alloc{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  alloc.descriptorPool = pool_;
  alloc.descriptorSetCount = 1;
  alloc.pSetLayouts = &set_layout_;
  ctx_->check(vk.vkAllocateDescriptorSets(dev, &alloc, &set_), "vkAllocateDescriptorSets");

  std::vector<VkDescriptorBufferInfo> infos(n);
  std::vector<VkWriteDescriptorSet> writes(n);
  for (uint32_t i = 0; i < n; ++i) {
    infos[i] = {buffers[i]->handle(), 0, VK_WHOLE_SIZE};
    writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    writes[i].dstSet = set_;
    writes[i].dstBinding = i;
    writes[i].descriptorCount = 1;
    writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    writes[i].pBufferInfo = &infos[i];
  }
  vk.vkUpdateDescriptorSets(dev, n, writes.data(), 0, nullptr);
}

Program::~Program() {
  const DeviceApi& vk = ctx_->api();
  const VkDevice dev = ctx_->device();
  if (pool_) vk.vkDestroyDescriptorPool(dev, pool_, nullptr);
  if (pipeline_) vk.vkDestroyPipeline(dev, pipeline_, nullptr);
  if (layout_) vk.vkDestroyPipelineLayout(dev, layout_, nullptr);
  if (set_layout_) vk.vkDestroyDescriptorSetLayout(dev, set_layout_, nullptr);
}

void Program::dispatch(VkCommandBuffer cmd, uint32_t groups_x, uint32_t groups_y, const void* push) const {
  const DeviceApi& vk = ctx_->api();
  vk.vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline_);
  vk.vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, layout_, 0, 1, &set_, 0, nullptr);
  if (push_bytes_) vk.vkCmdPushConstants(cmd, layout_, VK_SHADER_STAGE_COMPUTE_BIT, 0, push_bytes_, push);
  vk.vkCmdDispatch(cmd, groups_x, groups_y, 1);
}

}  // namespace specgap::vulkan
